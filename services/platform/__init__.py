"""Running on AWS or the embedded backend: clients, tables, provisioning, logs, health."""
