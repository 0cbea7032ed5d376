# -Mode SecretsManager's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the secret is <prefix><separator><connection id>.'
        Separator         = 'The sep of the Secrets Manager backend between prefix and connection id.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value of a new secret. An existing connection secret keeps its own form unless -Format is given.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt a new secret with; the identity then also needs kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on it. For an existing secret it is compared with the secret''s key (DescribeSecret): another key is an error (SecretsManagerKmsKeyMismatch) and nothing is written.'
        Tag               = 'Tags (a hashtable) for a secret this command creates; an existing secret keeps its tags.'
    }
}
