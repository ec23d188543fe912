"""The core: each resource's fields (declared once), rules, automatic names, lifecycle, waits and
their sharing, cancellation, adoption and cleanup. Both faces run it: the dynamic resources
(`pinecone_backup.backup`, `.schedule`, `.index_from_backup`) and the provider plugin
(`pinecone_backup.plugin`). It imports neither."""
