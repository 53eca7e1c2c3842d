# Shortcuts for Linux: each target calls dev.py, which does the set-up (Windows: python dev.py ...).
.PHONY: run test bench package

run:
	python3 dev.py run

test:
	python3 dev.py test

bench:
	python3 dev.py bench

package:
	python3 dev.py package
