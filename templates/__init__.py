"""Built-in Jinja templates of apibind (see README.md here); shipped as ``generator.templates``."""
