"""Platform services shared by the dialects: credentials, principals, request context."""
