// "Can I share?" Teams bot: Linux App Service (Node 24 LTS), Storage account (Table storage) and an
// Azure Bot with the Teams channel. Deploy into an existing resource group:
//
//   az deployment group create -g <rg> -f deploy/main.bicep -p deploy/main.parameters.json \
//     -p botAppPassword=<secret> signingSecret=<secret>
//
// The app keeps no state in memory, so it may run on several instances (instanceCount): decisions,
// reminders and the retention purge are coordinated through Table storage (leases), and the web
// app has ARR affinity off. Tables are created by the app at start-up. See docs/deployment.md.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@minLength(4)
@maxLength(20)
@description('Prefix for resource names (letters, digits and hyphens), e.g. cis-prod.')
param resourceBaseName string

@description('Azure region of the App Service and Storage account (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('App Service plan SKU. Free (F1) is not allowed: it has no Always On and no scale-out.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
param appServiceSkuName string = 'P0v3'

@description('Number of App Service instances (scale-out). The app is stateless, so 2 or more gives resilience.')
@minValue(1)
@maxValue(30)
param instanceCount int = 2

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are free) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('How the bot authenticates with the Bot Framework. New multi-tenant bots can no longer be created in Azure; prefer SingleTenant.')
@allowed(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'])
param msaAppType string = 'SingleTenant'

@description('Microsoft App ID (Entra app registration client id) of the bot. Ignored for UserAssignedMSI, where this template creates the identity.')
param botAppId string = ''

@description('Entra tenant of the bot app registration (SingleTenant and UserAssignedMSI); empty = the subscription\'s tenant.')
param botTenantId string = subscription().tenantId

@secure()
@description('Client secret of the bot app registration. Not used for UserAssignedMSI.')
param botAppPassword string = ''

@secure()
@minLength(32)
@description('Secret (32+ characters) used by the app to sign short-lived links and card state. Keep it stable across deployments.')
param signingSecret string

@description('Comma-separated tenant ids whose users may use the bot, or * for any tenant; empty = the bot\'s tenant.')
param allowedTenantIds string = subscription().tenantId

@description('Managers who may see their tenant\'s decisions: comma-separated <tenantId>:<objectId> entries (a bare object id stops the app at start-up; each tenant must be allowed).')
param managerAadObjectIds string = ''

@description('Admins who may grant and revoke the manager role in their tenant: comma-separated <tenantId>:<objectId> entries.')
param adminAadObjectIds string = ''

@description('Longest time (ms) a request body may take to arrive before the request is cut off with 408.')
@minValue(100)
@maxValue(120000)
param bodyTimeoutMs int = 10000

@description('Request bodies one instance reads at once; beyond it requests get 503 (Retry-After) unread.')
@minValue(1)
@maxValue(10000)
param maxBodiesInFlight int = 100

@description('Days to keep recorded decisions before the purge removes them (30 to 36500; default 7 years).')
@minValue(30)
@maxValue(36500)
param retentionDays int = 2557

@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
param logLevel string = 'info'

@description('Storage redundancy. Zone-redundant (ZRS) is recommended where the region offers it.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS', 'Standard_RAGRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_LRS'

@minLength(3)
@maxLength(24)
@description('Globally unique storage account name (lowercase letters and digits).')
param storageAccountName string = toLower('st${uniqueString(resourceGroup().id, resourceBaseName)}')

@description('Public host name of the bot if a custom domain is bound to the web app; empty = the web app\'s default host name.')
param publicHostName string = ''

@description('Path App Service probes on each instance to take unhealthy ones out of rotation. /healthz is the bot\'s liveness endpoint (200 while the process serves HTTP); /readyz is deliberately not used, because a storage outage would fail every instance at once. Empty = no health check.')
param healthCheckPath string = '/healthz'

@maxLength(42)
@description('Display name of the Azure Bot resource.')
param botDisplayName string = 'Can I share?'

param tags object = {}

// ---------------------------------------------------------------------------------------------
// Names and derived values
// ---------------------------------------------------------------------------------------------

var isMsi = msaAppType == 'UserAssignedMSI'
// Agents Toolkit passes empty strings for unset env values: fall back to the subscription's tenant.
var tenantId = empty(botTenantId) ? subscription().tenantId : botTenantId
var allowedTenants = empty(allowedTenantIds) ? tenantId : allowedTenantIds
var planName = '${resourceBaseName}-plan'
var webAppName = '${resourceBaseName}-app'
var botServiceName = '${resourceBaseName}-bot'
var identityName = '${resourceBaseName}-bot-id'

// ---------------------------------------------------------------------------------------------
// Identity (only for msaAppType = UserAssignedMSI)
// ---------------------------------------------------------------------------------------------

resource botIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = if (isMsi) {
  name: identityName
  location: location
  tags: tags
}

// ARM evaluates only the branch of if() that is taken, so the identity is read only when it exists.
var effectiveAppId = isMsi ? botIdentity.properties.clientId : botAppId

// ---------------------------------------------------------------------------------------------
// Storage: Azure Table storage for decisions, reminders, roles and leases
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // The app connects with a connection string (account key), so shared-key access stays on.
    allowSharedKeyAccess: true
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: false
    publicNetworkAccess: 'Enabled'
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        blob: {
          enabled: true
        }
        file: {
          enabled: true
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

// ---------------------------------------------------------------------------------------------
// App Service: Linux plan + Node 24 LTS web app
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSkuName
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: isMsi ? {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${botIdentity.id}': {}
    }
  } : null
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false // no sticky sessions: any instance can serve any request
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      webSocketsEnabled: false
      healthCheckPath: empty(healthCheckPath) ? null : healthCheckPath
    }
  }
}

// FTP publishing with basic credentials off (deployment uses zip deploy over HTTPS).
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

var botHost = empty(publicHostName) ? webApp.properties.defaultHostName : publicHostName
var botEndpoint = 'https://${botHost}/api/messages'

// Set as a child resource (not in siteConfig) so the settings can use the site's own host name.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    NODE_ENV: 'production'
    WEBSITE_NODE_DEFAULT_VERSION: '~24'
    // The zip holds the built app with its production node_modules: no build on the server.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    WEBSITE_RUN_FROM_PACKAGE: '1'
    MICROSOFT_APP_ID: effectiveAppId
    MICROSOFT_APP_PASSWORD: isMsi ? '' : botAppPassword
    MICROSOFT_APP_TYPE: msaAppType
    MICROSOFT_APP_TENANT_ID: msaAppType == 'MultiTenant' ? '' : tenantId
    AZURE_STORAGE_CONNECTION_STRING: storageConnectionString
    ALLOWED_TENANT_IDS: allowedTenants
    MANAGER_AAD_OBJECT_IDS: managerAadObjectIds
    ADMIN_AAD_OBJECT_IDS: adminAadObjectIds
    BODY_TIMEOUT_MS: string(bodyTimeoutMs)
    MAX_BODIES_IN_FLIGHT: string(maxBodiesInFlight)
    RETENTION_DAYS: string(retentionDays)
    SIGNING_SECRET: signingSecret
    PUBLIC_BASE_URL: 'https://${botHost}'
    LOG_LEVEL: logLevel
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot + Teams channel
// ---------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: botEndpoint
    msaAppId: effectiveAppId
    msaAppType: msaAppType
    msaAppTenantId: msaAppType == 'MultiTenant' ? '' : tenantId
    msaAppMSIResourceId: isMsi ? botIdentity.id : ''
    disableLocalAuth: false
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (Agents Toolkit writes these into env/.env.<environment>)
// ---------------------------------------------------------------------------------------------

@description('Messaging endpoint registered on the Azure Bot.')
output BOT_ENDPOINT string = botEndpoint

@description('Host name for the Teams manifest validDomains (BOT_DOMAIN).')
output BOT_DOMAIN string = botHost

@description('Default host name of the web app.')
output WEB_APP_HOSTNAME string = webApp.properties.defaultHostName

@description('Resource id used by azureAppService/zipDeploy.')
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id

@description('Microsoft App ID the bot runs as (the managed identity\'s client id for UserAssignedMSI).')
output BOT_APP_ID string = effectiveAppId

output STORAGE_ACCOUNT_NAME string = storage.name
output BOT_SERVICE_NAME string = bot.name
