"""The command line's audit of a tree: settings (from the option table, pyproject.toml and
the [flake8] section), discovery of the files, the runner that analyses them (in processes,
through the result cache), baselines and the [flake8] reader. Reports render its result."""
