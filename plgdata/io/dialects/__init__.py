"""io.dialects: see CONTRIBUTING.md for what this layer holds."""
