; Inno Setup script: per-user install (no administrator rights needed on office PCs).
; Build after PyInstaller:  iscc installer\lzcenter.iss
#define AppName "柳州市工程技术研究中心管理系统"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C2B7E7A-3F0E-4B8F-9C51-2A1D5E0C4F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=柳州市科学技术局
DefaultDirName={localappdata}\Programs\lzcenter-desktop
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=lzcenter-desktop-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; the offline review package (.lzreview) opens in 评审模式 (per user: HKCU, no administrator rights)
ChangesAssociations=yes

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Files]
Source: "..\dist\lzcenter-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\lzcenter-desktop.exe"
Name: "{group}\{#AppName}（演示数据库）"; Filename: "{app}\lzcenter-desktop.exe"; Parameters: "demo --open"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\lzcenter-desktop.exe"

[Registry]
; 离线评审包 .lzreview → `lzcenter-desktop.exe review "file"` (评审模式, no database needed)
Root: HKCU; Subkey: "Software\Classes\.lzreview"; ValueType: string; ValueName: ""; ValueData: "LzCenter.ReviewPackage"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage"; ValueType: string; ValueName: ""; ValueData: "工程技术研究中心离线评审包"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\lzcenter-desktop.exe,0"
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\lzcenter-desktop.exe"" review ""%1"""

[Run]
; The frozen smoke test: the same selftest the CI runs from source.
Filename: "{app}\lzcenter-desktop.exe"; Parameters: "selftest"; Flags: runhidden waituntilterminated; StatusMsg: "正在自检…"
Filename: "{app}\lzcenter-desktop.exe"; Description: "启动 {#AppName}"; Flags: nowait postinstall skipifsilent
