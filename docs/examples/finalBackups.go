package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// The final backups MakeFinalBackup made of an index, newest first: found after the index is gone.
		finals, err := pineconebackup.FinalBackups(ctx, &pineconebackup.FinalBackupsArgs{
			IndexName: "products-restored",
		})
		if err != nil {
			return err
		}
		if len(finals.Backups) == 0 {
			return nil
		}
		// Restore the newest into a new index.
		restored, err := pineconebackup.NewIndexFromBackup(ctx, "products-back", &pineconebackup.IndexFromBackupArgs{
			BackupId: pulumi.String(finals.Backups[0].BackupId),
			Name:     pulumi.String("products-back"),
		})
		if err != nil {
			return err
		}
		ctx.Export("restoredHost", restored.Host)
		return nil
	})
}
