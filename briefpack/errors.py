"""One error family for the whole library, and the exit codes the CLI maps it to."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes; documented in the README's "Errors and exit codes" table."""

    OK = 0
    INTERNAL_ERROR = 1
    USAGE_ERROR = 2  # bad command-line arguments (Click's own code)
    INPUT_ERROR = 3  # an article that cannot be read or summarized
    MODEL_ERROR = 4  # missing, invalid or unloadable translation model
    RENDER_ERROR = 5  # a PDF could not be rendered
    OUTPUT_ERROR = 6  # the pack could not be written (permissions, disk full, exists)
    VERIFY_FAILED = 7  # `briefpack verify` found a problem
    NETWORK_ERROR = 8  # `models download` could not reach the index; a Dask scheduler lost
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM during `models install` / `download` (staging removed first)


class BriefpackError(Exception):
    """Base of every error the library raises on purpose.

    The message says what went wrong and what to do next, in one line.
    """

    exit_status: ExitStatus = ExitStatus.INTERNAL_ERROR


class OptionError(BriefpackError):
    """An option, setting or environment value is unusable (a usage error, like Click's)."""

    exit_status = ExitStatus.USAGE_ERROR


class InputError(BriefpackError):
    """The article (or an option describing it) is unusable."""

    exit_status = ExitStatus.INPUT_ERROR


class ModelError(BriefpackError):
    """A translation model is missing, invalid or cannot be loaded."""

    exit_status = ExitStatus.MODEL_ERROR


class RenderError(BriefpackError):
    """A briefing could not be rendered to PDF."""

    exit_status = ExitStatus.RENDER_ERROR


class PackError(BriefpackError):
    """A pack could not be written."""

    exit_status = ExitStatus.OUTPUT_ERROR


class VerifyError(BriefpackError):
    """A pack failed verification."""

    exit_status = ExitStatus.VERIFY_FAILED


class NetworkError(BriefpackError):
    """The one network path (model download) failed."""

    exit_status = ExitStatus.NETWORK_ERROR
