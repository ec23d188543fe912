package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// Plain arguments: the newest Ready backup whose name starts with "nightly", or an error.
		newest, err := pineconebackup.LatestBackup(ctx, &pineconebackup.LatestBackupArgs{
			IndexName:  "products",
			NamePrefix: pulumi.StringRef("nightly"),
		})
		if err != nil {
			return err
		}
		_, err = pineconebackup.NewIndexFromBackup(ctx, "restored", &pineconebackup.IndexFromBackupArgs{
			BackupId: pulumi.String(newest.BackupId),
			Name:     pulumi.String("products-restored"),
		})
		if err != nil {
			return err
		}

		// Arguments known during the deployment, here another stack's output: an Output of the backup.
		prod, err := pulumi.NewStackReference(ctx, "acme/indexes/prod", nil)
		if err != nil {
			return err
		}
		prodNewest := pineconebackup.LatestBackupOutput(ctx, pineconebackup.LatestBackupOutputArgs{
			IndexName: prod.GetStringOutput(pulumi.String("indexName")),
		})
		ctx.Export("prodNewest", prodNewest.BackupId())
		return nil
	})
}
