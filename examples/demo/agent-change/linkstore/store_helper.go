package linkstore

// LoadLink reads a link from the JSON store.
func LoadLink(slug string) string {
	return ""
}
