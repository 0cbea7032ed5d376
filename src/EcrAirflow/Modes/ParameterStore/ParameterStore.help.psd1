# -Mode ParameterStore's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the parameter is <prefix>/<connection id>, and Parameter Store names start with /.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value of a new parameter. An existing connection parameter keeps its own form unless -Format is given.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt a new parameter with; the identity then also needs kms:Decrypt, kms:Encrypt and kms:GenerateDataKey on it. An existing parameter keeps its type and key: a -KmsKeyId it is not encrypted with (another key, or a String or StringList parameter) is an error (ParameterStoreKmsKeyMismatch) and nothing is written.'
        Tag               = 'Tags (a hashtable) for a parameter this command creates (sent with the creating PutParameter, or added with AddTagsToResource when another request created it first); an existing one keeps its tags.'
        Tier              = 'The Parameter Store tier: Standard (up to 4 KB), Advanced (up to 8 KB, charged by AWS) or IntelligentTiering. Without it a new parameter''s tier follows the value''s size and an existing one keeps its tier, rising to Advanced only when the value needs it; the result''s Tier says which one was used. An Advanced parameter cannot become Standard again.'
    }
}
