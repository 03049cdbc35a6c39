"""Helper kits shared by the tests: builders of ledgers, repositories, files and fake clocks."""
