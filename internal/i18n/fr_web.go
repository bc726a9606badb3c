package i18n

// frWeb holds the web pages' strings.
var frWeb = map[string]string{}
