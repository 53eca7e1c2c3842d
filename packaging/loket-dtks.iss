; Inno Setup script: the Windows installer for the kelurahan PCs (Windows 10/11, 64-bit).
; Build the one-folder app first (`py dev.py package` on Windows), then, from this folder:
;     iscc loket-dtks.iss          -> ..\dist\LoketDTKS-Setup-<version>.exe
; Per-user install: the counter PCs need no administrator. The database and keys live in
; %LOCALAPPDATA%\LoketDTKS, which the installer and uninstaller never touch, so an update
; keeps every registration. Keep AppVersion in step with app/__init__.py (a test checks it).

#define AppName "Loket DTKS"
#define AppVersion "0.1.0"
#define AppExe "loket-dtks.exe"

[Setup]
AppId={{6F1C2B7E-3D4A-4B8E-9C21-5A7D0E3F9B64}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Dinas Sosial Provinsi DKI Jakarta
DefaultDirName={autopf}\LoketDTKS
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=LoketDTKS-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\loket-dtks.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
; Inno Setup ships no Indonesian wizard texts: only an unofficial translation exists
; (jrsoftware/issrc, Files/Languages/Unofficial/Indonesian.isl). Until Dinsos reviews and adds
; it beside this file, the wizard's own buttons are in English; our texts below are Indonesian.
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "Buat ikon di desktop"; GroupDescription: "Ikon tambahan:"

[Files]
Source: "..\dist\loket-dtks\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "Jalankan {#AppName}"; Flags: nowait postinstall skipifsilent
