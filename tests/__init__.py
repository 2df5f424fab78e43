"""Hub Coverage tests: unit, data, pages (AppTest) and e2e (Playwright)."""
