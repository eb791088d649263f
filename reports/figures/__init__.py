"""The report's figures: what counts where (definitions, queries), the tables, and their checks."""
