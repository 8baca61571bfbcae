"""io: see CONTRIBUTING.md for what this layer holds."""
