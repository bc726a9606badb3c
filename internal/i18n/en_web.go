package i18n

// enWeb holds the web pages' strings.
var enWeb = map[string]string{}
