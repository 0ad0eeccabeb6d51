"""The load test (issue 8, point 6): locust against gunicorn with the production
settings, on loopback (docs/performance.md, "Load test"; `make load`)."""
