"""Tooling for the tests, the demo and the benchmark: not part of the package, not in the wheel.

`emulator`: the test index and helpers around the emulator's request log; `engine`: the Pulumi
CLI (scripts/install-pulumi) and offline Automation API stacks on a local backend; `cli`: the
example projects driven through the plain `pulumi` CLI, as a user types it; `provider_host`: the
real dynamic-provider host driven over gRPC, as the engine drives it.
"""
