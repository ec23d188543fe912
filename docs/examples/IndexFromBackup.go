package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		backup, err := pineconebackup.NewBackup(ctx, "before-migration", &pineconebackup.BackupArgs{
			IndexName: pulumi.String("products"),
		})
		if err != nil {
			return err
		}
		restored, err := pineconebackup.NewIndexFromBackup(ctx, "restored", &pineconebackup.IndexFromBackupArgs{
			BackupId:           backup.BackupId, // waits for the backup to be Ready
			Name:               pulumi.String("products-restored"),
			Tags:               pulumi.StringMap{"team": pulumi.String("search")},
			DeletionProtection: pulumi.String("enabled"), // destroy refuses until it is "disabled" again
		})
		if err != nil {
			return err
		}
		ctx.Export("restoredHost", restored.Host)
		return nil
	})
}
