package integrations

import (
	"strconv"

	"github.com/fruxon/fruxon-mock/mockserver/core"
)

// AppendJSON appends c's JSON to b, byte for byte what json.Marshal(c)
// writes (TestConfigAppendJSONMatchesMarshal and FuzzAppendJSON hold it to
// that), without reflection: a config is the answer a frontend polls, and
// json.Marshal's reflective walk and map-key sorting were a sixth of the
// mock's CPU per poll. A value of a type it doesn't know goes through
// json.Marshal; an error there (a NaN, say, which no JSON input makes) is
// returned, as json.Marshal would return it.
func (c *Config) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = core.AppendJSONString(b, c.ID)
	b = append(b, `,"integrationId":`...)
	b = core.AppendJSONString(b, c.IntegrationID)
	b = append(b, `,"displayName":`...)
	b = core.AppendStringPtr(b, c.DisplayName)
	b = append(b, `,"parameters":`...)
	if b, err = core.AppendJSONObject(b, c.Parameters); err != nil {
		return nil, err
	}
	b = append(b, `,"hasAuth":`...)
	b = strconv.AppendBool(b, c.HasAuth)
	b = append(b, `,"hasAuthMap":`...)
	b = strconv.AppendBool(b, c.HasAuthMap)
	b = append(b, `,"authMethodId":`...)
	b = core.AppendStringPtr(b, c.AuthMethodID)
	b = append(b, `,"auth":`...)
	b = c.Auth.appendJSON(b)
	b = append(b, `,"authMapEntries":`...)
	if b, err = core.AppendList(b, c.AuthMapEntries, func(b []byte, e *AuthMapView) ([]byte, error) {
		b, err := core.AppendJSONObject(append(b, `{"parameters":`...), e.Parameters)
		return append(b, '}'), err
	}); err != nil {
		return nil, err
	}
	b = append(b, `,"sandboxMode":`...)
	b = core.AppendJSONString(b, string(c.SandboxMode))
	b = append(b, `,"sandboxVariant":`...)
	if c.SandboxVariant == nil {
		b = append(b, "null"...)
	} else if b, err = core.AppendMarshal(b, c.SandboxVariant); err != nil {
		return nil, err
	}
	b = append(b, `,"publishedRevisionId":`...)
	b = core.AppendStringPtr(b, c.PublishedRevisionID)
	b = append(b, `,"createdBy":`...)
	b = core.AppendStringPtr(b, c.CreatedBy)
	b = append(b, `,"createdAt":`...)
	b = strconv.AppendInt(b, c.CreatedAt, 10)
	b = append(b, `,"modifiedAt":`...)
	b = strconv.AppendInt(b, c.ModifiedAt, 10)
	return append(b, '}'), nil
}

func (a *AuthView) appendJSON(b []byte) []byte {
	if a == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"level":`...)
	b = core.AppendJSONString(b, string(a.Level))
	b = append(b, `,"integrationAuthMetadataId":`...)
	b = core.AppendJSONString(b, a.IntegrationAuthMetadataID)
	b = append(b, `,"grantedScopes":`...)
	b = core.AppendStrings(b, a.GrantedScopes)
	return append(b, '}')
}

// AppendJSON appends i's JSON to b, byte for byte what json.Marshal(i)
// writes (TestAppendJSONMatchesMarshal), without reflection: an
// integration's metadata is most of what a create or a list answers.
func (it *Integration) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = core.AppendJSONString(b, it.ID)
	b = append(b, `,"displayName":`...)
	b = core.AppendStringPtr(b, it.DisplayName)
	b = append(b, `,"description":`...)
	b = core.AppendStringPtr(b, it.Description)
	b = append(b, `,"type":`...)
	b = core.AppendJSONString(b, string(it.Type))
	b = append(b, `,"configMetadata":{"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, it.ConfigMetadata.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `,"authMetadata":`...)
	if b, err = core.AppendList(b, it.ConfigMetadata.AuthMetadata, appendAuthMetadata); err != nil {
		return nil, err
	}
	b = append(b, `},"tags":`...)
	b = core.AppendStrings(b, it.Tags)
	b = append(b, `,"isInternal":`...)
	b = strconv.AppendBool(b, it.IsInternal)
	b = append(b, `,"createdAt":`...)
	b = strconv.AppendInt(b, it.CreatedAt, 10)
	b = append(b, `,"modifiedAt":`...)
	b = strconv.AppendInt(b, it.ModifiedAt, 10)
	return append(b, '}'), nil
}

func appendAuthMetadata(b []byte, a *AuthMetadata) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = core.AppendJSONString(b, a.ID)
	b = append(b, `,"displayName":`...)
	b = core.AppendStringPtr(b, a.DisplayName)
	b = append(b, `,"description":`...)
	b = core.AppendStringPtr(b, a.Description)
	b = append(b, `,"type":`...)
	b = core.AppendJSONString(b, string(a.Type))
	b = append(b, `,"sensitivity":`...)
	b = core.AppendJSONString(b, string(a.Sensitivity))
	b = append(b, `,"authProviderName":`...)
	b = core.AppendStringPtr(b, a.AuthProviderName)
	b = append(b, `,"configTestSupported":`...)
	b = strconv.AppendBool(b, a.ConfigTestSupported)
	b = append(b, `,"supportedLevels":`...)
	b, _ = core.AppendList(b, a.SupportedLevels, func(b []byte, l *AuthLevel) ([]byte, error) { return core.AppendJSONString(b, string(*l)), nil })
	b = append(b, `,"authMap":{"useMap":`...)
	b = strconv.AppendBool(b, a.AuthMap.UseMap)
	b = append(b, `,"keyTemplate":`...)
	b = core.AppendStringPtr(b, a.AuthMap.KeyTemplate)
	b = append(b, `,"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, a.AuthMap.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `},"authSettings":{"parameters":`...)
	if b, err = core.AppendMap(b, a.AuthSettings.Parameters, func(b []byte, s string) ([]byte, error) { return core.AppendJSONString(b, s), nil }); err != nil {
		return nil, err
	}
	b = append(b, `},"parametersMetadata":`...)
	if b, err = appendParamsMetadata(b, a.ParametersMetadata); err != nil {
		return nil, err
	}
	b = append(b, `,"availableScopes":`...)
	b = core.AppendStrings(b, a.AvailableScopes)
	return append(b, '}'), nil
}

func appendParamsMetadata(b []byte, list []ParameterMetadata) ([]byte, error) {
	return core.AppendList(b, list, appendParamMetadata)
}

func appendParamMetadata(b []byte, p *ParameterMetadata) ([]byte, error) {
	var err error
	b = append(b, `{"name":`...)
	b = core.AppendJSONString(b, p.Name)
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(p.Index), 10)
	b = append(b, `,"type":`...)
	b = core.AppendJSONString(b, string(p.Type))
	b = append(b, `,"typeName":`...)
	b = core.AppendStringPtr(b, p.TypeName)
	b = append(b, `,"integerRange":`...)
	if r := p.IntegerRange; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"min":`...)
		b = core.AppendIntPtr(b, r.Min)
		b = append(b, `,"max":`...)
		b = core.AppendIntPtr(b, r.Max)
		b = append(b, '}')
	}
	b = append(b, `,"floatRange":`...)
	if r := p.FloatRange; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"min":`...)
		if b, err = core.AppendFloatPtr(b, r.Min); err != nil {
			return nil, err
		}
		b = append(b, `,"max":`...)
		if b, err = core.AppendFloatPtr(b, r.Max); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = append(b, `,"options":`...)
	b, _ = core.AppendList(b, p.Options, func(b []byte, o *Option) ([]byte, error) {
		b = core.AppendJSONString(append(b, `{"value":`...), o.Value)
		b = core.AppendStringPtr(append(b, `,"displayName":`...), o.DisplayName)
		return append(b, '}'), nil
	})
	b = append(b, `,"asset":`...)
	if a := p.Asset; a == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"assetType":`...)
		b = core.AppendStringPtr(b, a.AssetType)
		b = append(b, `,"allowedExtensions":`...)
		b = core.AppendStrings(b, a.AllowedExtensions)
		b = append(b, '}')
	}
	b = append(b, `,"displayName":`...)
	b = core.AppendStringPtr(b, p.DisplayName)
	b = append(b, `,"description":`...)
	b = core.AppendStringPtr(b, p.Description)
	b = append(b, `,"required":`...)
	b = strconv.AppendBool(b, p.Required)
	b = append(b, `,"secret":`...)
	b = strconv.AppendBool(b, p.Secret)
	b = append(b, `,"defaultValue":`...)
	b = core.AppendStringPtr(b, p.DefaultValue)
	b = append(b, `,"jsonSchema":`...)
	if b, err = core.AppendJSONObject(b, p.JSONSchema); err != nil {
		return nil, err
	}
	b = append(b, `,"uiHint":`...)
	b = core.AppendStringPtr(b, p.UIHint)
	b = append(b, `,"rules":`...)
	b, _ = core.AppendList(b, p.Rules, func(b []byte, r *Rule) ([]byte, error) {
		b = core.AppendJSONString(append(b, `{"kind":`...), r.Kind)
		b = core.AppendStringPtr(append(b, `,"value":`...), r.Value)
		b = core.AppendStringPtr(append(b, `,"message":`...), r.Message)
		return append(b, '}'), nil
	})
	return append(b, '}'), nil
}
