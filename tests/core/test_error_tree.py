"""The error tree drawn in `core/errors.py`'s docstring is the tree the module defines."""

from __future__ import annotations

import inspect
import re

from mcp_servers.core import errors


def test_the_docstring_draws_every_error_class_of_the_module_and_no_other() -> None:
    drawn = set(re.findall(r"^ +(?:[├└]── )?([A-Z]\w+)(?:\(\w+\))? +[a-z]", errors.__doc__ or "", re.M))
    defined = {
        name
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.ServiceError) and cls.__module__ == errors.__name__
    }
    assert drawn == defined
