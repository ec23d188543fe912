package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// An explicit provider: the engine answers a hook's call only through one once the program
		// has finished, which is when removed resources and `destroy --run-program` are deleted.
		provider, err := pineconebackup.NewProvider(ctx, "pinecone-backup", &pineconebackup.ProviderArgs{
			ApiKey: config.RequireSecret(ctx, "pinecone-backup:apiKey"),
		})
		if err != nil {
			return err
		}
		// Before the index goes: a backup of it, Ready, or the delete does not happen. Go's SDK
		// (3.259) refuses a call through ctx once the program has returned: this hook backs up an
		// index being replaced, but fails for one removed from the program or destroyed (`destroy
		// --run-program`), and the engine then does not delete it: nothing is lost. Delete those
		// with a Python program's hook (final_backup), or back them up first (a Backup resource).
		finalBackup, err := ctx.RegisterResourceHook("final-backup", func(args *pulumi.ResourceHookArgs) error {
			_, err := pineconebackup.MakeFinalBackup(ctx, &pineconebackup.MakeFinalBackupArgs{
				IndexName:   args.OldOutputs["name"].StringValue(),
				ResourceUrn: pulumi.StringRef(string(args.URN)),
				Keep:        pulumi.IntRef(3),
			}, pulumi.Provider(provider))
			return err
		}, nil)
		if err != nil {
			return err
		}
		// Any resource that is an index, named by its `name` output (Pinecone's own pinecone.Index
		// too); it uses (so depends on) the provider, which `destroy` then deletes after it.
		restored, err := pineconebackup.NewIndexFromBackup(ctx, "restored", &pineconebackup.IndexFromBackupArgs{
			BackupId: pulumi.String(config.Require(ctx, "backupId")),
			Name:     pulumi.String("products-restored"),
		}, pulumi.Provider(provider), pulumi.ResourceHooks(&pulumi.ResourceHookBinding{
			BeforeDelete: []*pulumi.ResourceHook{finalBackup},
		}))
		if err != nil {
			return err
		}
		ctx.Export("restoredHost", restored.Host)
		return nil
	})
}
