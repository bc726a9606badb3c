package domain

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

func validatorInstance() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			return name
		})
	})
	return validate
}

// CheckStruct validates v's `validate` tags and adds one message per failing
// field (named by its JSON name, the same as the form field) to fe.
func CheckStruct(v any, fe FieldErrors) {
	err := validatorInstance().Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return
	}
	for _, e := range verrs {
		field := e.Field()
		numeric := e.Kind() >= reflect.Int && e.Kind() <= reflect.Float64
		switch e.Tag() {
		case "required":
			fe.Add(field, "field.required")
		case "min", "gte":
			if numeric {
				fe.Add(field, "field.min", e.Param())
			} else {
				fe.Add(field, "field.min_len", e.Param())
			}
		case "max", "lte":
			if numeric {
				fe.Add(field, "field.max", e.Param())
			} else {
				fe.Add(field, "field.max_len", e.Param())
			}
		case "email":
			fe.Add(field, "field.email_format")
		case "uuid", "uuid4":
			fe.Add(field, "field.uuid")
		case "oneof":
			fe.Add(field, "field.oneof", strings.ReplaceAll(e.Param(), " ", ", "))
		default:
			fe.Add(field, "field.invalid")
		}
	}
}
