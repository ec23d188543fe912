import * as pulumi from "@pulumi/pulumi";
import * as pineconebackup from "@pinecone-backup/pulumi";

// An explicit provider: the engine answers a hook's call only through one once the program has
// finished, which is when removed resources and `destroy --run-program` are deleted.
const provider = new pineconebackup.Provider("pinecone-backup", {
    apiKey: new pulumi.Config("pinecone-backup").requireSecret("apiKey"),
});

// Before the index goes: a backup of it, Ready, or the delete does not happen.
const finalBackup = new pulumi.ResourceHook("final-backup", async (args) => {
    await pineconebackup.makeFinalBackup(
        { indexName: args.oldOutputs?.name, resourceUrn: args.urn, keep: 3 },
        { provider },
    );
});

// Any resource that is an index, named by its `name` output (Pinecone's own pinecone.Index too);
// it uses (so depends on) the provider, which `destroy` then deletes after it.
const restored = new pineconebackup.IndexFromBackup("restored", {
    backupId: new pulumi.Config().require("backupId"),
    name: "products-restored",
}, { provider, hooks: { beforeDelete: [finalBackup] } });
export const restoredHost = restored.host;
