"""Reports for the office and the regent: figures, XLSX, PDF with charts, the CLI."""
