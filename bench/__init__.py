"""Benchmarks for briefpack: ROUGE on the shared dev set, summarizer speed and memory."""
