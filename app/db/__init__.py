"""Storage: peewee models, the one connection entry point, migrations and queries. No Qt."""
