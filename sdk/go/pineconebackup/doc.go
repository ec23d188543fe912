// Pinecone vector-database backups, restores and backup schedules as Pulumi resources.
package pineconebackup
