"""A lab app for the shared test suite: a counter to race on and tasks to run."""
