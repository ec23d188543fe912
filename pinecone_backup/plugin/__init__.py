"""The plugin face: the `pinecone-backup` resource provider plugin, for programs in every language.

`schema` derives the package schema from the core's declarations; `provider` answers the
engine's calls with the core's lifecycles; `__main__` serves it (`pulumi-resource-pinecone-backup`).
"""
