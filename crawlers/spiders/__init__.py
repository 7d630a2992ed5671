"""One spider module per source kind."""
