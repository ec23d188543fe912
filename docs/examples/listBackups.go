package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// A plain index name (nil: every backup of the project): the list, or an error.
		listed, err := pineconebackup.ListBackups(ctx, &pineconebackup.ListBackupsArgs{
			IndexName: pulumi.StringRef("products"),
		})
		if err != nil {
			return err
		}
		names := []string{}
		for _, backup := range listed.Backups {
			if backup.Name != nil {
				names = append(names, *backup.Name)
			}
		}
		ctx.Export("backupNames", pulumi.ToStringArray(names))

		// An index name known during the deployment: an Output of the list.
		schedule, err := pineconebackup.NewBackupSchedule(ctx, "nightly", &pineconebackup.BackupScheduleArgs{
			IndexName:     pulumi.String("reviews"),
			RetentionDays: pulumi.Int(7),
		})
		if err != nil {
			return err
		}
		reviews := pineconebackup.ListBackupsOutput(ctx, pineconebackup.ListBackupsOutputArgs{
			IndexName: schedule.IndexName,
		})
		ctx.Export("reviewsBackups", reviews.Backups())
		return nil
	})
}
