; Inno Setup 6 script: per-user install, no administrator rights (office PCs).
; Build after `python installer\build.py` (which writes installer\version.iss from pyproject.toml):
;   iscc installer\lzcenter.iss            → dist\lzcenter-desktop-setup-<version>.exe
; Language: Inno's official Default.isl (English) with every message a clerk sees overridden in
; Chinese in [Messages] and [CustomMessages] below — the ChineseSimplified.isl of Inno Setup is
; an unofficial translation that is not installed with it (on a CI runner neither).
#include "version.iss"
#define AppName "柳州市工程技术研究中心管理系统"
#define AppExe "lzcenter-desktop.exe"
#define DataFolder "{localappdata}\lzcenter"

[Setup]
AppId={{6C2B7E7A-3F0E-4B8F-9C51-2A1D5E0C4F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=柳州市科学技术局
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={localappdata}\Programs\lzcenter-desktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=lzcenter-desktop-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; file associations are written under HKCU\Software\Classes (per user)
ChangesAssociations=yes

[Languages]
Name: "zh"; MessagesFile: "compiler:Default.isl"

[Messages]
SetupAppTitle=安装
SetupWindowTitle=安装 - %1
UninstallAppTitle=卸载
UninstallAppFullTitle=卸载 %1
ButtonBack=< 上一步(&B)
ButtonNext=下一步(&N) >
ButtonInstall=安装(&I)
ButtonOK=确定
ButtonCancel=取消
ButtonYes=是(&Y)
ButtonNo=否(&N)
ButtonFinish=完成(&F)
ButtonBrowse=浏览(&R)...
ButtonWizardBrowse=浏览(&R)...
ExitSetupTitle=退出安装
ExitSetupMessage=安装尚未完成。现在退出，程序将不会被安装。%n%n您可以以后再运行安装程序完成安装。%n%n确定退出安装吗？
WelcomeLabel1=欢迎安装 [name]
WelcomeLabel2=本程序将在您的电脑上安装 [name/ver]，只为当前用户安装，不需要管理员权限。%n%n建议在继续之前关闭其他程序。
WizardSelectDir=选择安装位置
SelectDirDesc=[name] 要安装到哪里？
SelectDirLabel3=安装程序将把 [name] 安装到下面的文件夹。
SelectDirBrowseLabel=点击“下一步”继续。如需选择其他文件夹，请点击“浏览”。
DiskSpaceMBLabel=至少需要 [mb] MB 的可用磁盘空间。
WizardSelectTasks=选择附加任务
SelectTasksDesc=需要执行哪些附加任务？
SelectTasksLabel2=请选择安装 [name] 时要执行的附加任务，然后点击“下一步”。
WizardReady=准备安装
ReadyLabel1=安装程序已准备好在您的电脑上安装 [name]。
ReadyLabel2a=点击“安装”开始安装；如需检查或修改设置，请点击“上一步”。
ReadyLabel2b=点击“安装”开始安装。
ReadyMemoDir=安装位置：
ReadyMemoTasks=附加任务：
WizardInstalling=正在安装
InstallingLabel=正在安装 [name]，请稍候。
FinishedHeadingLabel=[name] 安装完成
FinishedLabelNoIcons=[name] 已安装到您的电脑上。
FinishedLabel=[name] 已安装到您的电脑上。可以通过开始菜单中的快捷方式启动。
ClickFinish=点击“完成”退出安装。
StatusExtractFiles=正在解压文件...
StatusCreateIcons=正在创建快捷方式...
StatusCreateRegistryEntries=正在登记文件类型...
StatusRunProgram=正在完成安装...
StatusRollback=正在撤销已做的更改...
ConfirmUninstall=确定要完全卸载 %1 吗？
UninstalledAll=%1 已从您的电脑上卸载。
UninstalledMost=%1 卸载完成。%n%n有些文件未能删除，可以手动删除。
UninstallStatusLabel=正在卸载 %1，请稍候。
ClickNext=点击“下一步”继续，或点击“取消”退出安装。
InformationTitle=提示
ConfirmTitle=确认
ErrorTitle=错误
SetupAppRunningError=安装程序检测到 %1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
UninstallAppRunningError=卸载程序检测到 %1 正在运行。%n%n请先关闭它，然后点击“确定”继续，或点击“取消”退出。
BrowseDialogTitle=选择文件夹
BrowseDialogLabel=在下面的列表中选择一个文件夹，然后点击“确定”。
NewFolderName=新建文件夹
ButtonNewFolder=新建文件夹(&M)
DirExistsTitle=文件夹已存在
DirExists=文件夹%n%n%1%n%n已经存在。仍然安装到这个文件夹吗？
DiskSpaceWarningTitle=磁盘空间不足
DiskSpaceWarning=安装至少需要 %1 KB 可用空间，所选磁盘只有 %2 KB。%n%n仍然继续吗？
WizardPreparing=准备安装
PreparingDesc=安装程序正在准备安装 [name]。
ApplicationsFound=下列程序正在使用需要更新的文件，建议让安装程序自动关闭它们。
ApplicationsFound2=下列程序正在使用需要更新的文件，建议让安装程序自动关闭它们；安装完成后将尝试重新启动它们。
CloseApplications=自动关闭这些程序(&A)
DontCloseApplications=不关闭这些程序(&D)
SetupAborted=安装未完成。%n%n请解决问题后重新运行安装程序。
StatusClosingApplications=正在关闭程序...
StatusCreateDirs=正在创建文件夹...
StatusSavingUninstall=正在保存卸载信息...
WizardUninstalling=卸载状态
StatusUninstalling=正在卸载 %1...
UninstallDisplayNameMarkCurrentUser=当前用户

[CustomMessages]
zh.AdditionalIcons=附加快捷方式：
zh.DesktopIcon=在桌面创建快捷方式(&D)
zh.AssocJson=用本程序打开数据交换文件（.json）（通常不需要：其他程序也使用 .json）
zh.Associations=文件关联：
zh.DemoShortcut=（演示数据库）
zh.SelfTest=正在自检…
zh.LaunchProgram=启动 {#AppName}
zh.RemoveData=是否同时删除您的数据（数据库、导出的文件、设置）？%n%n数据文件夹：%1%n%n选择“否”将保留数据，以后重新安装可以继续使用。选择“是”将永久删除，无法恢复。
zh.ReviewPackage=工程技术研究中心离线评审包
zh.Interchange=工程技术研究中心数据交换文件
zh.ImportJson=导入到{#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"
Name: "assocjson"; Description: "{cm:AssocJson}"; GroupDescription: "{cm:Associations}"; Flags: unchecked

[Files]
Source: "..\dist\lzcenter-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[InstallDelete]
; an update replaces the bundle as a whole (files left from an older version could shadow new ones)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName}{cm:DemoShortcut}"; Filename: "{app}\{#AppExe}"; Parameters: "demo --open"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; 离线评审包 .lzreview → `lzcenter-desktop.exe review "file"` (评审模式, no database needed)
Root: HKCU; Subkey: "Software\Classes\.lzreview"; ValueType: string; ValueName: ""; ValueData: "LzCenter.ReviewPackage"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage"; ValueType: string; ValueName: ""; ValueData: "{cm:ReviewPackage}"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\LzCenter.ReviewPackage\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\lzcenter-desktop.exe"" review ""%1"""
; the interchange JSON only when the user ticks the task (other programs use .json too): an
; "Open with" entry, not the default program
Root: HKCU; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "LzCenter.Interchange"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocjson
Root: HKCU; Subkey: "Software\Classes\LzCenter.Interchange"; ValueType: string; ValueName: ""; ValueData: "{cm:Interchange}"; Flags: uninsdeletekey; Tasks: assocjson
Root: HKCU; Subkey: "Software\Classes\LzCenter.Interchange\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: assocjson
; opens a console (cmd /k) that runs `lzcenter-desktop.exe import "file"` and stays open, so the clerk
; reads which 申报书 were imported or why not
Root: HKCU; Subkey: "Software\Classes\LzCenter.Interchange\shell\open"; ValueType: string; ValueName: ""; ValueData: "{cm:ImportJson}"; Tasks: assocjson
Root: HKCU; Subkey: "Software\Classes\LzCenter.Interchange\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{sys}\cmd.exe"" /k """"{app}\{#AppExe}"" import ""%1"""""; Tasks: assocjson

[Run]
; The frozen smoke test: the same selftest build.py and CI run.
Filename: "{app}\{#AppExe}"; Parameters: "selftest"; Flags: runhidden waituntilterminated; StatusMsg: "{cm:SelfTest}"
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram}"; Flags: nowait postinstall skipifsilent

[Code]
// The uninstaller keeps the user's data folder unless the user answers 是 (a silent uninstall keeps it).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{#DataFolder}');
    if DirExists(DataDir) and not UninstallSilent then
      if MsgBox(FmtMessage(CustomMessage('RemoveData'), [DataDir]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;
