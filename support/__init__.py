"""Tooling for the tests, the demo and the benchmark: not part of the package, not in the wheel.

`emulator`: the test index and helpers around the emulator's request log; `engine`: the Pulumi
CLI (scripts/install-pulumi) and offline stacks on a local backend; `provider_host`: the real
dynamic-provider host driven over gRPC, as the engine drives it.
"""
