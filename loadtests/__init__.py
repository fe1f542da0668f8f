"""Load tests (locust journeys per capstone), the headless runner and the benchmarks."""
