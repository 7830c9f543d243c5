"""A briefing as Markdown (`summary-LANG.md` in a pack): the PDF's text, for pasting."""

from __future__ import annotations

from briefpack.model import TEST_MODEL_NOTE, Briefing


def summary_markdown(briefing: Briefing) -> str:
    lines = [f"# {briefing.title}", ""]
    lines += [f"- {point}" for point in briefing.points]
    lines.append("")
    if briefing.translation is not None:
        models = ", ".join(f"{m.name} {m.version}" for m in briefing.translation.models)
        note = f"Machine translation from {briefing.source_language} ({models})"
        if briefing.translation.test_model:
            note += f": {TEST_MODEL_NOTE}"
        lines += [f"_{note}; the original prevails._", ""]
    lines += [f"Source: {briefing.source_name} · {briefing.date} · pack {briefing.pack_id}", ""]
    return "\n".join(lines)
