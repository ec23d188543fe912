package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// A plain id: the backup, or an error. (Go names the function LookupBackup.)
		found, err := pineconebackup.LookupBackup(ctx, &pineconebackup.LookupBackupArgs{
			BackupId: config.Require(ctx, "backupId"),
		})
		if err != nil {
			return err
		}
		ctx.Export("recordCount", pulumi.IntPtrFromPtr(found.RecordCount))

		// An id known during the deployment, here another stack's output: an Output of the backup.
		prod, err := pulumi.NewStackReference(ctx, "acme/backups/prod", nil)
		if err != nil {
			return err
		}
		shared := pineconebackup.LookupBackupOutput(ctx, pineconebackup.LookupBackupOutputArgs{
			BackupId: prod.GetStringOutput(pulumi.String("backupId")),
		})
		ctx.Export("sharedStatus", shared.Status())
		return nil
	})
}
