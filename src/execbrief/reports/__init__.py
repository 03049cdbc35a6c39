"""Reports: one module per report type; each arranges metrics and findings into a Document."""
