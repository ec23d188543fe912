package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// Plain arguments: the newest backup of the schedule named so (nil before its first run).
		newest, err := pineconebackup.LatestScheduledBackup(ctx, &pineconebackup.LatestScheduledBackupArgs{
			IndexName:    "products",
			ScheduleName: "products-nightly",
		})
		if err != nil {
			return err
		}
		if newest.Backup != nil {
			ctx.Export("newestBackup", pulumi.String(newest.Backup.BackupId))
		}

		// Arguments known during the deployment, here the schedule's outputs: an Output of it.
		schedule, err := pineconebackup.NewBackupSchedule(ctx, "weekly", &pineconebackup.BackupScheduleArgs{
			IndexName:     pulumi.String("reviews"),
			Frequency:     pulumi.String("weekly"),
			RetentionDays: pulumi.Int(28),
		})
		if err != nil {
			return err
		}
		latest := pineconebackup.LatestScheduledBackupOutput(ctx, pineconebackup.LatestScheduledBackupOutputArgs{
			IndexName:    schedule.IndexName,
			ScheduleName: schedule.Name,
		})
		ctx.Export("newestWeekly", latest.Backup().BackupId())
		return nil
	})
}
