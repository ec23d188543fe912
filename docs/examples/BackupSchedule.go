package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		schedule, err := pineconebackup.NewBackupSchedule(ctx, "nightly", &pineconebackup.BackupScheduleArgs{
			IndexName:     pulumi.String("products"),
			Frequency:     pulumi.String("daily"),
			RetentionDays: pulumi.Int(7),
		})
		if err != nil {
			return err
		}
		ctx.Export("scheduleName", schedule.Name)
		ctx.Export("nextScheduledRun", schedule.NextScheduledRun)
		return nil
	})
}
