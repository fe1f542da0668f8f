"""Reports: the monthly department report (visits and revenue), built in the background."""
