# -Mode ParameterStore's help: the descriptions of its own parameters (build/Help.ps1 merges them into the cmdlets' help).
@{
    Parameters = @{
        ConnectionsPrefix = 'The connections_prefix of Airflow''s secrets backend (its backend_kwargs): the parameter is <prefix>/<connection id>, and Parameter Store names start with /.'
        Format            = 'Json (Airflow 2.3+) or Uri: the form of the value the backend reads.'
        KmsKeyId          = 'A customer managed KMS key (id, ARN or alias/...) to encrypt the parameter with; the identity then also needs kms:Encrypt and kms:GenerateDataKey on it.'
        Tag               = 'Tags (a hashtable) for a parameter this command creates; an existing one keeps its tags (Parameter Store refuses tags on an overwrite, so they are added with AddTagsToResource after a creation).'
        Tier              = 'The Parameter Store tier: Standard (up to 4 KB), Advanced (up to 8 KB, charged by AWS) or IntelligentTiering. Without it the tier follows the value''s size, and the result''s Tier says which one was used. An Advanced parameter cannot become Standard again.'
    }
}
