package main

import (
	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		// A plain schedule id: the runs, the next one (status "Scheduled") included, or an error.
		known, err := pineconebackup.ScheduleHistory(ctx, &pineconebackup.ScheduleHistoryArgs{
			ScheduleId: config.Require(ctx, "scheduleId"),
		})
		if err != nil {
			return err
		}
		for _, run := range known.Runs {
			if run.Status == "Scheduled" {
				ctx.Export("nextRun", pulumi.StringPtrFromPtr(run.ScheduledExecutionAt))
			}
		}

		// An id known during the deployment, here the schedule's own: an Output of the runs.
		schedule, err := pineconebackup.NewBackupSchedule(ctx, "nightly", &pineconebackup.BackupScheduleArgs{
			IndexName:     pulumi.String("products"),
			RetentionDays: pulumi.Int(7),
		})
		if err != nil {
			return err
		}
		history := pineconebackup.ScheduleHistoryOutput(ctx, pineconebackup.ScheduleHistoryOutputArgs{
			ScheduleId: schedule.ScheduleId,
		})
		ctx.Export("runs", history.Runs())
		return nil
	})
}
