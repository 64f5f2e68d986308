package integrations

// The metadata half of DecodeCreateIntegration: configMetadata and its
// parameter and auth-method lists, field by field (decodejson.go holds the
// reader and the rules every field follows).

func (d *decoder) configMetadata(md *ConfigMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "parametersMetadata":
			return once(&seen, 0) && d.paramsMetadata(&md.ParametersMetadata)
		case "authMetadata":
			return once(&seen, 1) && list(d, &md.AuthMetadata, d.authMetadata)
		}
		return false
	})
}

func (d *decoder) paramsMetadata(p *[]ParameterMetadata) bool {
	return list(d, p, d.paramMetadata)
}

func (d *decoder) paramMetadata(p *ParameterMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "name":
			return once(&seen, 0) && d.strVal(&p.Name)
		case "index":
			var n int64
			ok := once(&seen, 1) && d.intVal(&n)
			p.Index = int(n)
			return ok && int64(p.Index) == n
		case "type":
			var s string
			ok := once(&seen, 2) && d.strVal(&s)
			p.Type = ParameterType(s)
			return ok
		case "typeName":
			return once(&seen, 3) && d.strPtr(&p.TypeName)
		case "integerRange":
			if !once(&seen, 4) {
				return false
			}
			if d.null() {
				return true
			}
			p.IntegerRange = new(IntegerRange)
			var rs int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "min":
					return once(&rs, 0) && d.intPtr(&p.IntegerRange.Min)
				case "max":
					return once(&rs, 1) && d.intPtr(&p.IntegerRange.Max)
				}
				return false
			})
		case "floatRange":
			if !once(&seen, 5) {
				return false
			}
			if d.null() {
				return true
			}
			p.FloatRange = new(FloatRange)
			var rs int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "min":
					return once(&rs, 0) && d.floatPtr(&p.FloatRange.Min)
				case "max":
					return once(&rs, 1) && d.floatPtr(&p.FloatRange.Max)
				}
				return false
			})
		case "options":
			return once(&seen, 6) && list(d, &p.Options, func(o *Option) bool {
				var os int
				return d.object(func(key []byte) bool {
					switch string(key) {
					case "value":
						return once(&os, 0) && d.strVal(&o.Value)
					case "displayName":
						return once(&os, 1) && d.strPtr(&o.DisplayName)
					}
					return false
				})
			})
		case "asset":
			if !once(&seen, 7) {
				return false
			}
			if d.null() {
				return true
			}
			p.Asset = new(Asset)
			var as int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "assetType":
					return once(&as, 0) && d.strPtr(&p.Asset.AssetType)
				case "allowedExtensions":
					return once(&as, 1) && d.strings(&p.Asset.AllowedExtensions)
				}
				return false
			})
		case "displayName":
			return once(&seen, 8) && d.strPtr(&p.DisplayName)
		case "description":
			return once(&seen, 9) && d.strPtr(&p.Description)
		case "required":
			return once(&seen, 10) && d.boolVal(&p.Required)
		case "secret":
			return once(&seen, 11) && d.boolVal(&p.Secret)
		case "defaultValue":
			return once(&seen, 12) && d.strPtr(&p.DefaultValue)
		case "jsonSchema":
			if !once(&seen, 13) {
				return false
			}
			if d.null() {
				return true
			}
			v, ok := d.value()
			m, isMap := v.(map[string]any)
			p.JSONSchema = m
			return ok && isMap
		case "uiHint":
			return once(&seen, 14) && d.strPtr(&p.UIHint)
		case "rules":
			return once(&seen, 15) && list(d, &p.Rules, func(r *Rule) bool {
				var rs int
				return d.object(func(key []byte) bool {
					switch string(key) {
					case "kind":
						return once(&rs, 0) && d.strVal(&r.Kind)
					case "value":
						return once(&rs, 1) && d.strPtr(&r.Value)
					case "message":
						return once(&rs, 2) && d.strPtr(&r.Message)
					}
					return false
				})
			})
		}
		return false
	})
}

func (d *decoder) authMetadata(a *AuthMetadata) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.strVal(&a.ID)
		case "displayName":
			return once(&seen, 1) && d.strPtr(&a.DisplayName)
		case "description":
			return once(&seen, 2) && d.strPtr(&a.Description)
		case "type":
			var s string
			ok := once(&seen, 3) && d.strVal(&s)
			a.Type = AuthType(s)
			return ok
		case "sensitivity":
			var s string
			ok := once(&seen, 4) && d.strVal(&s)
			a.Sensitivity = Sensitivity(s)
			return ok
		case "authProviderName":
			return once(&seen, 5) && d.strPtr(&a.AuthProviderName)
		case "configTestSupported":
			return once(&seen, 6) && d.boolVal(&a.ConfigTestSupported)
		case "supportedLevels":
			return once(&seen, 7) && list(d, &a.SupportedLevels, func(l *AuthLevel) bool {
				s, ok := d.str()
				*l = AuthLevel(s)
				return ok
			})
		case "authMap":
			if !once(&seen, 8) {
				return false
			}
			var ms int
			return d.object(func(key []byte) bool {
				switch string(key) {
				case "useMap":
					return once(&ms, 0) && d.boolVal(&a.AuthMap.UseMap)
				case "keyTemplate":
					return once(&ms, 1) && d.strPtr(&a.AuthMap.KeyTemplate)
				case "parametersMetadata":
					return once(&ms, 2) && d.paramsMetadata(&a.AuthMap.ParametersMetadata)
				}
				return false
			})
		case "authSettings":
			if !once(&seen, 9) {
				return false
			}
			var ss int
			return d.object(func(key []byte) bool {
				if string(key) != "parameters" || !once(&ss, 0) {
					return false
				}
				if d.null() {
					return true
				}
				m := map[string]string{}
				a.AuthSettings.Parameters = m
				return d.object(func(key []byte) bool {
					if _, dup := m[string(key)]; dup {
						return false
					}
					s, ok := d.str()
					m[string(key)] = s
					return ok
				})
			})
		case "parametersMetadata":
			return once(&seen, 10) && d.paramsMetadata(&a.ParametersMetadata)
		case "availableScopes":
			return once(&seen, 11) && d.strings(&a.AvailableScopes)
		}
		return false
	})
}
