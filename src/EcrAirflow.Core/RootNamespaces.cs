// The namespaces of EcrAirflow.dll (src/EcrAirflow/, the module's RootModule), which this assembly builds on: the
// cmdlet classes whose bodies live here, the mode attributes and the loader (the public types, in namespace
// EcrAirflow itself, are in scope anyway: it encloses EcrAirflow.Core.*). Every file of the core may use them; the
// core's own namespaces are EcrAirflow.Core.*, so that no namespace spans two projects.
global using EcrAirflow.Commands;
global using EcrAirflow.Internal.Http;
global using EcrAirflow.Internal.Loading;
global using EcrAirflow.Modes;
