# Exercises the Airflow API emulator (tests/AirflowEmulator) directly over HTTP, for both Airflow versions,
# so the other suites can trust it: status codes, error shapes and validation as Airflow's, plus the control API.
# Needs: dotnet build tests/AirflowEmulator/AirflowEmulator.csproj -c Release

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # One HTTP call; never throws on an error status. Returns Status, Headers, Json (parsed body) and Text.
    function Invoke-Emu {
        param(
            [string] $Method = 'GET',
            [Parameter(Mandatory)] [string] $Uri,
            $Body,
            [hashtable] $Headers = @{},
            [string] $ContentType = 'application/json'
        )
        $params = @{ Method = $Method; Uri = $Uri; Headers = $Headers; SkipHttpErrorCheck = $true }
        if ($null -ne $Body) {
            $params.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Depth 10 -Compress }
            $params.ContentType = $ContentType
        }
        $response = Invoke-WebRequest @params
        $text = if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { [string]$response.Content }
        $json = $null
        if ($text) { try { $json = $text | ConvertFrom-Json } catch { $json = $null } }
        [pscustomobject]@{ Status = [int]$response.StatusCode; Headers = $response.Headers; Json = $json; Text = $text }
    }

    function Get-BasicHeader([string] $User, [string] $Password) {
        @{ Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:${Password}")) }
    }

    function Get-Header($Response, [string] $Name) {
        $value = $Response.Headers[$Name]
        if ($value -is [array]) { $value = $value[0] }
        [string]$value
    }
}

Describe 'Airflow emulator as Airflow 2 (API v1, basic auth)' {
    BeforeAll {
        $script:Emu = Start-AirflowEmulator -AirflowVersion 2 -UserName 'tester' -Password 'S3cret!pw'
        $script:V1 = "$($Emu.Url)/api/v1"
        $script:Auth = Get-BasicHeader 'tester' 'S3cret!pw'
        $script:Docker = @{ connection_id = 'ecr'; conn_type = 'docker'; host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'; login = 'AWS'; password = 'token-one'; extra = '{"email": "none", "reauth": true}' }
    }
    AfterAll { Stop-Peer $Emu }
    BeforeEach { Clear-EmulatorState -Url $Emu.Url }

    It 'reports EMULATOR_LISTENING on a 127.0.0.1 port' {
        $Emu.Url | Should -Match '^http://127\.0\.0\.1:\d+$'
        $Emu.AirflowVersion | Should -Be 2
    }

    It 'answers GET /api/v1/version (no auth in Airflow 2) and has no API v2' {
        $r = Invoke-Emu -Uri "$V1/version"
        $r.Status | Should -Be 200
        $r.Json.version | Should -Be '2.10.5'
        (Invoke-Emu -Uri "$($Emu.Url)/api/v2/version").Status | Should -Be 404
    }

    It 'rejects missing and wrong credentials with 401 problem JSON and WWW-Authenticate: Basic' {
        foreach ($headers in @(@{}, (Get-BasicHeader 'tester' 'wrong'))) {
            $r = Invoke-Emu -Uri "$V1/connections/ecr" -Headers $headers
            $r.Status | Should -Be 401
            Get-Header $r 'WWW-Authenticate' | Should -Be 'Basic'
            $r.Json.status | Should -Be 401
            $r.Json.title | Should -Be 'Unauthorized'
            $r.Json.type | Should -Match 'Errors/Unauthenticated$'
        }
    }

    It 'creates with 200, returns the connection without its password and stores password and extra' {
        $r = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker
        $r.Status | Should -Be 200
        $r.Json.connection_id | Should -Be 'ecr'
        $r.Json.PSObject.Properties.Name | Should -Not -Contain 'password'
        $r.Json.extra | Should -BeOfType [string]
        $r.Text | Should -Not -Match 'token-one'
        $stored = Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr'
        $stored.password | Should -Be 'token-one'
        $stored.extra | Should -Be '{"email": "none", "reauth": true}'
        $stored.host | Should -Be $Docker.host
    }

    It 'refuses a duplicate id with 409 and Airflow''s message' {
        (Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker).Status | Should -Be 200
        $r = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker
        $r.Status | Should -Be 409
        $r.Json.detail | Should -Be 'Connection already exist. ID: ecr'
        $r.Json.title | Should -Be 'Conflict'
        $r.Json.PSObject.Properties.Name | Sort-Object | Should -Be @('detail', 'status', 'title', 'type')
    }

    It 'answers PATCH of an unknown id with 404 problem JSON' {
        $r = Invoke-Emu -Method PATCH -Uri "$V1/connections/nope" -Headers $Auth -Body @{ connection_id = 'nope'; conn_type = 'docker' }
        $r.Status | Should -Be 404
        $r.Json.detail | Should -Be 'The Connection with connection_id: `nope` was not found'
        (Get-Header $r 'Content-Type') | Should -Match '^application/problem\+json'
    }

    It 'refuses a PATCH whose body names another connection_id with 400' {
        $null = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker
        $r = Invoke-Emu -Method PATCH -Uri "$V1/connections/ecr" -Headers $Auth -Body @{ connection_id = 'other'; conn_type = 'docker' }
        $r.Status | Should -Be 400
        $r.Json.detail | Should -Be 'The connection_id cannot be updated.'
    }

    It 'PATCH with update_mask changes only the masked fields' {
        $null = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker
        $r = Invoke-Emu -Method PATCH -Uri "$V1/connections/ecr?update_mask=password" -Headers $Auth -Body @{ password = 'token-two'; host = 'elsewhere' }
        $r.Status | Should -Be 200
        $stored = Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr'
        $stored.password | Should -Be 'token-two'
        $stored.host | Should -Be $Docker.host
    }

    It 'rejects unknown fields and missing required fields with 400 (marshmallow messages)' {
        $r = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body @{ conn_type = 'docker'; bogus = 1 }
        $r.Status | Should -Be 400
        $r.Json.detail | Should -Be "{'connection_id': ['Missing data for required field.'], 'bogus': ['Unknown field.']}"
    }

    It 'validates the body before authenticating, as connexion does' {
        $r = Invoke-Emu -Method POST -Uri "$V1/connections" -Body @{ connection_id = 'x'; conn_type = 'docker'; port = 'eighty' }
        $r.Status | Should -Be 400
        $r.Json.detail | Should -Be "'eighty' is not of type 'integer' - 'port'"
    }

    It 'deletes with 204, then 404' {
        $null = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body $Docker
        (Invoke-Emu -Method DELETE -Uri "$V1/connections/ecr" -Headers $Auth).Status | Should -Be 204
        (Invoke-Emu -Method DELETE -Uri "$V1/connections/ecr" -Headers $Auth).Status | Should -Be 404
    }

    It 'lists connections with total_entries and without password or extra' {
        foreach ($id in 'a1', 'a2', 'a3') {
            $null = Invoke-Emu -Method POST -Uri "$V1/connections" -Headers $Auth -Body @{ connection_id = $id; conn_type = 'docker'; password = 'pw' }
        }
        $r = Invoke-Emu -Uri "$V1/connections?limit=2" -Headers $Auth
        $r.Status | Should -Be 200
        $r.Json.total_entries | Should -Be 3
        @($r.Json.connections).Count | Should -Be 2
        $r.Json.connections[0].PSObject.Properties.Name | Should -Not -Contain 'extra'
    }
}

Describe 'Airflow emulator as Airflow 3 (API v2, JWT)' {
    BeforeAll {
        $script:Emu = Start-AirflowEmulator -AirflowVersion 3 -UserName 'tester' -Password 'S3cret!pw'
        $script:V2 = "$($Emu.Url)/api/v2"
        function Get-Token {
            (Invoke-Emu -Method POST -Uri "$($Emu.Url)/auth/token" -Body @{ username = 'tester'; password = 'S3cret!pw' }).Json.access_token
        }
        $script:Bearer = @{ Authorization = "Bearer $(Get-Token)" }
        function New-Conn([string] $Id, [string] $Password = 'pw') {
            @{ connection_id = $Id; conn_type = 'docker'; host = 'registry.example'; login = 'AWS'; password = $Password; extra = '{"reauth": true}' }
        }
    }
    AfterAll { Stop-Peer $Emu }
    BeforeEach { Clear-EmulatorState -Url $Emu.Url }

    It 'issues a JWT with 201 from POST /auth/token and refuses wrong credentials with 401' {
        $r = Invoke-Emu -Method POST -Uri "$($Emu.Url)/auth/token" -Body @{ username = 'tester'; password = 'S3cret!pw' }
        $r.Status | Should -Be 201
        $r.Json.access_token.Split('.').Count | Should -Be 3
        $bad = Invoke-Emu -Method POST -Uri "$($Emu.Url)/auth/token" -Body @{ username = 'tester'; password = 'nope' }
        $bad.Status | Should -Be 401
        $bad.Json.detail | Should -Be 'Invalid credentials'
    }

    It 'answers /api/v2/version without a token and has no API v1' {
        $r = Invoke-Emu -Uri "$V2/version"
        $r.Status | Should -Be 200
        $r.Json.version | Should -Be '3.1.0'
        (Invoke-Emu -Uri "$($Emu.Url)/api/v1/version").Status | Should -Be 404
    }

    It 'answers 401 Not authenticated without a token' {
        $r = Invoke-Emu -Uri "$V2/connections/ecr"
        $r.Status | Should -Be 401
        $r.Json.detail | Should -Be 'Not authenticated'
    }

    It 'creates with 201 and refuses a duplicate with 409 {"detail": ...}' {
        $r = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body (New-Conn 'ecr')
        $r.Status | Should -Be 201
        $r.Json.connection_id | Should -Be 'ecr'
        $r.Json.password | Should -Be '***'
        $dup = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body (New-Conn 'ecr')
        $dup.Status | Should -Be 409
        $dup.Json.detail.reason | Should -Be 'Unique constraint violation'
    }

    It 'upserts three entities in one bulk PATCH with action_on_existence overwrite' {
        Set-EmulatorConnection -Url $Emu.Url -ConnectionId 'ecr-a' -Connection @{ conn_type = 'docker'; password = 'old' } | Out-Null
        $body = @{ actions = @(@{ action = 'create'; action_on_existence = 'overwrite'; entities = @((New-Conn 'ecr-a' 'new-a'), (New-Conn 'ecr-b' 'new-b'), (New-Conn 'ecr-c' 'new-c')) }) }
        $r = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $r.Status | Should -Be 200
        @($r.Json.create.success) | Should -Be @('ecr-a', 'ecr-b', 'ecr-c')
        @($r.Json.create.errors).Count | Should -Be 0
        $r.Json.update | Should -BeNullOrEmpty
        $stored = Get-EmulatorConnections -Url $Emu.Url
        ($stored | Where-Object connection_id -eq 'ecr-a').password | Should -Be 'new-a'
        ($stored | Where-Object connection_id -eq 'ecr-c').password | Should -Be 'new-c'
        @(Get-EmulatorRequests -Url $Emu.Url).Count | Should -Be 1
    }

    It 'reports an existing id under create.errors with status_code 409 and still answers 200' {
        Set-EmulatorConnection -Url $Emu.Url -ConnectionId 'taken' -Connection @{ conn_type = 'docker'; password = 'keep' } | Out-Null
        Set-EmulatorConnection -Url $Emu.Url -ConnectionId 'gone' -Connection @{ conn_type = 'docker' } | Out-Null
        $body = @{ actions = @(
                @{ action = 'create'; action_on_existence = 'fail'; entities = @((New-Conn 'taken' 'new')) },
                @{ action = 'delete'; entities = @('gone') }) }
        $r = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $r.Status | Should -Be 200
        $err = @($r.Json.create.errors)
        $err.Count | Should -Be 1
        $err[0].status_code | Should -Be 409
        $err[0].error | Should -Be "The connections with these connection_ids: {'taken'} already exist."
        @($r.Json.delete.success) | Should -Be @('gone')
        $stored = Get-EmulatorConnections -Url $Emu.Url
        ($stored | Where-Object connection_id -eq 'taken').password | Should -Be 'keep'
        $stored.connection_id | Should -Not -Contain 'gone'
    }

    It 'rejects an unknown field with 422 extra_forbidden' {
        $body = (New-Conn 'ecr') + @{ email = 'x@example.com' }
        $r = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body $body
        $r.Status | Should -Be 422
        $r.Json.detail[0].type | Should -Be 'extra_forbidden'
        @($r.Json.detail[0].loc) | Should -Be @('body', 'email')
        $r.Json.detail[0].msg | Should -Be 'Extra inputs are not permitted'
    }

    It 'rejects a bad connection id with 422 (pattern and length)' {
        $r = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body (New-Conn 'has space')
        $r.Status | Should -Be 422
        $r.Json.detail[0].type | Should -Be 'string_pattern_mismatch'
        @($r.Json.detail[0].loc) | Should -Be @('body', 'connection_id')
        $long = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body (New-Conn ('x' * 201))
        $long.Status | Should -Be 422
        $long.Json.detail[0].type | Should -Be 'string_too_long'
        # Bulk entities are validated the same way: the whole request is a 422.
        $bulk = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body @{ actions = @(@{ action = 'create'; entities = @((New-Conn 'ok'), (New-Conn 'bad/id')) }) }
        $bulk.Status | Should -Be 422
        @($bulk.Json.detail[0].loc) | Should -Be @('body', 'actions', 0, 'create', 'entities', 1, 'connection_id')
        @(Get-EmulatorConnections -Url $Emu.Url).Count | Should -Be 0
    }

    It 'PATCH of one connection: 404 when unknown, 400 when the body id differs' {
        $r = Invoke-Emu -Method PATCH -Uri "$V2/connections/nope" -Headers $Bearer -Body (New-Conn 'nope')
        $r.Status | Should -Be 404
        $r.Json.detail | Should -Be 'The Connection with connection_id: `nope` was not found'
        $m = Invoke-Emu -Method PATCH -Uri "$V2/connections/nope" -Headers $Bearer -Body (New-Conn 'other')
        $m.Status | Should -Be 400
    }

    It 'injects 503 with Retry-After, then answers normally' {
        Set-EmulatorFault -Url $Emu.Url @{ method = 'patch'; path = '/api/v2/connections'; status = 503; retryAfter = 1; times = 1 }
        $body = @{ actions = @(@{ action = 'create'; action_on_existence = 'overwrite'; entities = @((New-Conn 'ecr')) }) }
        $first = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $first.Status | Should -Be 503
        Get-Header $first 'Retry-After' | Should -Be '1'
        $first.Json.detail | Should -Be 'Service Unavailable'
        $second = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $second.Status | Should -Be 200
        $log = Get-EmulatorRequests -Url $Emu.Url
        @($log.status) | Should -Be @(503, 200)
        $log[0].fault | Should -Be 'status'
    }

    It 'drops the connection for a drop fault and logs status 0' {
        Set-EmulatorFault -Url $Emu.Url -Method GET -Path '/api/v2/connections/ecr' -Drop -Times 1
        { Invoke-WebRequest -Uri "$V2/connections/ecr" -Headers $Bearer -SkipHttpErrorCheck -MaximumRetryCount 0 } | Should -Throw
        (Get-EmulatorRequests -Url $Emu.Url)[0].status | Should -Be 0
    }

    It 'logs method, path, status, auth scheme and connection ids, but never a secret' {
        $null = Invoke-Emu -Method POST -Uri "$V2/connections" -Headers $Bearer -Body (New-Conn 'ecr' 'top-secret-token')
        $null = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body @{ actions = @(@{ action = 'create'; action_on_existence = 'overwrite'; entities = @((New-Conn 'ecr' 'top-secret-token'), (New-Conn 'ecr2' 'top-secret-token')) }) }
        $null = Invoke-Emu -Uri "$V2/connections/ecr"
        $log = Get-EmulatorRequests -Url $Emu.Url
        $log.Count | Should -Be 3
        $log[0].method | Should -Be 'POST'
        $log[0].path | Should -Be '/api/v2/connections'
        $log[0].status | Should -Be 201
        $log[0].auth | Should -Be 'Bearer'
        @($log[0].connectionIds) | Should -Be @('ecr')
        @($log[1].connectionIds) | Should -Be @('ecr', 'ecr2')
        $log[2].auth | Should -BeNullOrEmpty
        $log[2].status | Should -Be 401
        $raw = (Invoke-WebRequest -Uri "$($Emu.Url)/_emulator/requests").Content
        $raw | Should -Not -Match 'top-secret-token'
        $raw | Should -Not -Match ([regex]::Escape($Bearer.Authorization.Substring(7)))
    }

    It 'keeps every write of concurrent bulk upserts (one transaction each)' {
        $url = $V2
        $auth = $Bearer.Authorization
        $codes = 1..40 | ForEach-Object -ThrottleLimit 10 -Parallel {
            $entities = @(@{ connection_id = "c$_"; conn_type = 'docker'; password = "p$_" }, @{ connection_id = 'shared'; conn_type = 'docker'; password = "p$_" })
            $body = @{ actions = @(@{ action = 'create'; action_on_existence = 'overwrite'; entities = $entities }) } | ConvertTo-Json -Depth 5 -Compress
            [int](Invoke-WebRequest -Method PATCH -Uri "$using:url/connections" -Headers @{ Authorization = $using:auth } -Body $body -ContentType 'application/json' -SkipHttpErrorCheck).StatusCode
        }
        @($codes | Where-Object { $_ -ne 200 }).Count | Should -Be 0
        @(Get-EmulatorConnections -Url $Emu.Url).Count | Should -Be 41
        @(Get-EmulatorRequests -Url $Emu.Url).Count | Should -Be 40
    }

    It 'rejects every token issued before a revoke with 401, and accepts a fresh one' {
        $before = @{ Authorization = "Bearer $(Get-Token)" }
        (Invoke-Emu -Uri "$V2/connections" -Headers $before).Status | Should -Be 200
        Invoke-RestMethod -Method POST -Uri "$($Emu.Url)/_emulator/tokens/revoke" | Out-Null
        $r = Invoke-Emu -Uri "$V2/connections" -Headers $before
        $r.Status | Should -Be 401
        $r.Json.detail | Should -Be 'Invalid JWT token'
        $after = @{ Authorization = "Bearer $(Get-Token)" }
        (Invoke-Emu -Uri "$V2/connections" -Headers $after).Status | Should -Be 200
        $script:Bearer = $after
    }
}

Describe 'Airflow emulator bulk update: update_mask honoured, or ignored as by the Airflow 3.0 releases' -ForEach @(
    @{ Release = 'honouring the mask (default)'; Ignores = $false }
    @{ Release = '3.0 (--bulk-update-ignores-mask)'; Ignores = $true }
) {
    BeforeAll {
        $script:Emu = if ($Ignores) { Start-AirflowEmulator -AirflowVersion 3 -BulkUpdateIgnoresMask } else { Start-AirflowEmulator -AirflowVersion 3 }
        $script:V2 = "$($Emu.Url)/api/v2"
        $token = (Invoke-Emu -Method POST -Uri "$($Emu.Url)/auth/token" -Body @{ username = 'admin'; password = 'admin' }).Json.access_token
        $script:Bearer = @{ Authorization = "Bearer $token" }
    }
    AfterAll { Stop-Peer $Emu }
    BeforeEach {
        Clear-EmulatorState -Url $Emu.Url
        Set-EmulatorConnection -Url $Emu.Url -ConnectionId 'ecr' -Connection @{ conn_type = 'docker'; host = 'old.example'; login = 'old'; password = 'old-pw'; port = 5000; extra = '{"timeout": 30}'; description = 'mine' } | Out-Null
    }

    It 'says which it plays in /_emulator/health' {
        (Invoke-RestMethod "$($Emu.Url)/_emulator/health").bulkUpdateIgnoresMask | Should -Be $Ignores
    }

    It 'an update whose entity sets more than its mask: <Release>' {
        # The entity sets host, login and port, and leaves password and extra out; the mask names host only.
        $body = @{ actions = @(@{ action = 'update'; update_mask = @('host'); action_on_non_existence = 'skip'
                    entities = @(@{ connection_id = 'ecr'; conn_type = 'docker'; host = 'new.example'; login = 'new'; port = 6000 }) }) }
        $r = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $r.Status | Should -Be 200
        @($r.Json.update.success) | Should -Be @('ecr')
        $stored = Get-EmulatorConnections -Url $Emu.Url | Where-Object connection_id -eq 'ecr'
        $stored.host | Should -Be 'new.example'
        if ($Ignores) {
            # update_orm_from_pydantic(old, entity): every field set is written, password and extra always are.
            $stored.login | Should -Be 'new'
            $stored.port | Should -Be 6000
            $stored.password | Should -BeNullOrEmpty
            $stored.extra | Should -BeNullOrEmpty
        }
        else {
            $stored.login | Should -Be 'old'
            $stored.port | Should -Be 5000
            $stored.password | Should -Be 'old-pw'
            $stored.extra | Should -Be '{"timeout": 30}'
        }
        $stored.description | Should -Be 'mine' -Because 'a field the entity does not set is never written'
    }

    It 'skips a missing id with action_on_non_existence skip (neither success nor error)' {
        $body = @{ actions = @(@{ action = 'update'; update_mask = @('host'); action_on_non_existence = 'skip'; entities = @(@{ connection_id = 'nope'; conn_type = 'docker'; host = 'x' }) }) }
        $r = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body $body
        $r.Status | Should -Be 200
        @($r.Json.update.success).Count | Should -Be 0
        @($r.Json.update.errors).Count | Should -Be 0
        (Get-EmulatorConnections -Url $Emu.Url).connection_id | Should -Not -Contain 'nope'
    }

    It 'logs each action of a bulk body and each one-connection body by field names, never values' {
        $null = Invoke-Emu -Method PATCH -Uri "$V2/connections" -Headers $Bearer -Body @{ actions = @(
                @{ action = 'update'; update_mask = @('host', 'password'); action_on_non_existence = 'skip'; entities = @(@{ connection_id = 'ecr'; conn_type = 'docker'; host = 'h'; password = 'log-secret-pw' }) },
                @{ action = 'create'; action_on_existence = 'skip'; entities = @(@{ connection_id = 'ecr2'; conn_type = 'docker'; password = 'log-secret-pw' }) }) }
        $null = Invoke-Emu -Method PATCH -Uri "$V2/connections/ecr?update_mask=host" -Headers $Bearer -Body @{ connection_id = 'ecr'; conn_type = 'docker'; host = 'h2'; password = 'log-secret-pw' }
        $log = Get-EmulatorRequests -Url $Emu.Url
        $log[0].bulkActions[0].action | Should -Be 'update'
        @($log[0].bulkActions[0].updateMask) | Should -Be @('host', 'password')
        $log[0].bulkActions[0].actionOnNonExistence | Should -Be 'skip'
        @($log[0].bulkActions[0].ids) | Should -Be @('ecr')
        # (PowerShell hashtables send their keys in hash order: compared sorted.)
        @($log[0].bulkActions[0].entityFields | Sort-Object) | Should -Be @('conn_type', 'connection_id', 'host', 'password')
        $log[0].bulkActions[1].actionOnExistence | Should -Be 'skip'
        @($log[1].bodyFields | Sort-Object) | Should -Be @('conn_type', 'connection_id', 'host', 'password')
        $log[1].query | Should -Be 'update_mask=host'
        (Invoke-WebRequest -Uri "$($Emu.Url)/_emulator/requests").Content | Should -Not -Match 'log-secret-pw'
    }

    It 'answers a bodyText fault with that page as text/html' {
        Set-EmulatorFault -Url $Emu.Url @{ method = 'GET'; path = '/api/v2/connections'; status = 200; bodyText = '<html>Sign in</html>' }
        $r = Invoke-Emu -Uri "$V2/connections" -Headers $Bearer
        $r.Text | Should -Be '<html>Sign in</html>'
        Get-Header $r 'Content-Type' | Should -BeLike 'text/html*'
    }
}

Describe 'Airflow emulator process' {
    BeforeAll {
        function Invoke-Token($Emulator) {
            (Invoke-Emu -Method POST -Uri "$($Emulator.Url)/auth/token" -Body @{ username = 'admin'; password = 'admin' }).Json.access_token
        }
    }

    It 'answers 401 Token Expired once a token outlives -TokenLifetimeSeconds' {
        $emu = Start-AirflowEmulator -AirflowVersion 3 -TokenLifetimeSeconds 1
        try {
            $token = Invoke-Token $emu
            # Wait for the token's own exp claim to pass (the emulator's clock is this machine's), not a fixed time.
            $payload = $token.Split('.')[1].Replace('-', '+').Replace('_', '/')
            $payload += '=' * ((4 - $payload.Length % 4) % 4)
            $exp = [long]([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json).exp
            $exp | Should -BeGreaterThan 0
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -lt $exp -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $r = Invoke-Emu -Uri "$($emu.Url)/api/v2/connections" -Headers @{ Authorization = "Bearer $token" }
            $r.Status | Should -Be 401
            $r.Json.detail | Should -Be 'Token Expired'
        }
        finally { Stop-Peer $emu }
    }

    It 'exits when its stdin closes' {
        $emu = Start-AirflowEmulator -AirflowVersion 3
        $emu.Process.HasExited | Should -BeFalse
        $emu.Process.StandardInput.Close()
        $emu.Process.WaitForExit(10000) | Should -BeTrue
        $emu.Process.ExitCode | Should -Be 0
    }
}
