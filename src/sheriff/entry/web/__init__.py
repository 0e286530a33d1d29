"""The web entry point: GitHub webhooks (``sheriff serve``), health and metrics."""
