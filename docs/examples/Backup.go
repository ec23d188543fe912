package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		backup, err := pineconebackup.NewBackup(ctx, "before-migration", &pineconebackup.BackupArgs{
			IndexName:   pulumi.String("products"),
			Description: pulumi.String("before the migration"),
			// A new migration version: a fresh backup.
			Triggers: pulumi.Map{"migration": pulumi.String("0042")},
		})
		if err != nil {
			return err
		}
		ctx.Export("backupId", backup.BackupId)
		ctx.Export("recordCount", backup.RecordCount)
		return nil
	})
}
