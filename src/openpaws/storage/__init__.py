"""Storage: tables, engine, transactions and queries. The only package that holds SQL."""
