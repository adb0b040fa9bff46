//! `carnet lsp`: a language server for the site's posts. Diagnostics come from the lint engine
//! (the buffer as typed, the other posts' facts through the facts cache), code actions from the
//! rules' fixes and suppression comments, hover and completion from an index of the site.

mod assist;
mod diagnostics;
mod index;
mod text;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    HoverParams, HoverProviderCapability, InitializeParams, InitializeResult,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Url,
};

use crate::lint::run::Linter;
use crate::lint::{Diagnostic, Settings};
use crate::post::Post;
use crate::site::date::Zone;
use crate::site::{Kind, Site, SourceFile};
use index::SiteIndex;
use text::LineMap;

/// Loads the site holding a folder and its rule levels (`carnet.toml`).
pub type Loader<'h> = Box<dyn Fn(&Path) -> anyhow::Result<(Site, Settings)> + 'h>;

/// What the server needs from the command that starts it.
pub struct Host<'h> {
    /// Loads the site holding a folder and its rule levels (`carnet.toml`).
    pub load: Loader<'h>,
    /// The current time in a zone (`--now` when given).
    pub now: Box<dyn Fn(Zone) -> DateTime<FixedOffset> + 'h>,
}

/// Answers the client on `connection` until it asks to shut down.
pub fn serve(connection: &Connection, host: Host) -> anyhow::Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "carnet".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        connection,
        host,
        workspace: None,
        documents: HashMap::new(),
        dirty: BTreeSet::new(),
        next_request: 0,
    };
    if let Some(root) = root_folder(&params) {
        server.open_workspace(&root);
    }
    if watches_dynamically(&params) {
        server.register_watchers()?;
    }
    server.run()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(SaveOptions::default().into()),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([" ", ":", ",", "[", "-"].map(String::from).to_vec()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The workspace folder the client opened, if it named one.
fn root_folder(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| &f.uri);
    #[allow(deprecated)] // Older clients send only `rootUri`.
    let uri = folder.or(params.root_uri.as_ref())?;
    uri.to_file_path().ok()
}

fn watches_dynamically(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

/// The site the open posts belong to, its rule levels and its index.
struct Workspace {
    site: Site,
    settings: Settings,
    index: SiteIndex,
}

/// An open post: the editor's text, which may differ from the file, and its findings.
struct Document {
    text: String,
    version: Option<i32>,
    findings: Vec<Diagnostic>,
}

struct Server<'c, 'h> {
    connection: &'c Connection,
    host: Host<'h>,
    workspace: Option<Workspace>,
    documents: HashMap<Url, Document>,
    /// Open documents to lint again before answering anything about them.
    dirty: BTreeSet<Url>,
    next_request: i32,
}

impl Server<'_, '_> {
    fn run(&mut self) -> anyhow::Result<()> {
        while let Ok(message) = self.connection.receiver.recv() {
            if self.handle(message)? {
                return Ok(());
            }
            // Changes typed faster than the lint runs are linted once, at their last version.
            while let Ok(message) = self.connection.receiver.try_recv() {
                if self.handle(message)? {
                    return Ok(());
                }
            }
            self.lint_dirty()?;
        }
        Ok(())
    }

    /// Handles one message; true once the client has shut the server down.
    fn handle(&mut self, message: Message) -> anyhow::Result<bool> {
        match message {
            Message::Request(request) => {
                if self.connection.handle_shutdown(&request)? {
                    return Ok(true);
                }
                self.lint_dirty()?;
                let response = self.answer(request);
                self.connection.sender.send(response.into())?;
            }
            Message::Notification(notification) => self.notice(notification)?,
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::CodeActionRequest::METHOD => parse(request).map(|p| json(self.code_actions(p))),
            req::HoverRequest::METHOD => parse(request).map(|p| json(self.hover(p))),
            req::Completion::METHOD => parse(request).map(|p| json(self.complete(p))),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("carnet does not handle {}", request.method),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    fn notice(&mut self, notification: Notification) -> anyhow::Result<()> {
        match notification.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams =
                    notification.extract(notif::DidOpenTextDocument::METHOD)?;
                if self.workspace.is_none() {
                    if let Some(folder) = file_path(&p.text_document.uri)
                        .and_then(|path| path.parent().map(Path::to_path_buf))
                    {
                        self.open_workspace(&folder);
                    }
                }
                let document = Document {
                    text: p.text_document.text,
                    version: Some(p.text_document.version),
                    findings: Vec::new(),
                };
                self.documents.insert(p.text_document.uri.clone(), document);
                self.dirty.insert(p.text_document.uri);
            }
            notif::DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams =
                    notification.extract(notif::DidChangeTextDocument::METHOD)?;
                let uri = p.text_document.uri;
                // Full synchronisation: the last change holds the whole text.
                if let (Some(document), Some(change)) = (
                    self.documents.get_mut(&uri),
                    p.content_changes.into_iter().last(),
                ) {
                    document.text = change.text;
                    document.version = Some(p.text_document.version);
                    self.dirty.insert(uri);
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams =
                    notification.extract(notif::DidSaveTextDocument::METHOD)?;
                if let Some(path) = file_path(&p.text_document.uri) {
                    self.files_changed(&[path]);
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams =
                    notification.extract(notif::DidCloseTextDocument::METHOD)?;
                self.documents.remove(&p.text_document.uri);
                self.dirty.remove(&p.text_document.uri);
                self.publish(p.text_document.uri, Vec::new(), None)?;
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let p: DidChangeWatchedFilesParams =
                    notification.extract(notif::DidChangeWatchedFiles::METHOD)?;
                let paths: Vec<PathBuf> =
                    p.changes.iter().filter_map(|c| file_path(&c.uri)).collect();
                self.files_changed(&paths);
            }
            _ => {}
        }
        Ok(())
    }

    /// Loads the site holding `folder`; a folder outside any site leaves the server without one
    /// until a post of a site is opened.
    fn open_workspace(&mut self, folder: &Path) {
        match (self.host.load)(folder) {
            Ok((site, settings)) => {
                let index = SiteIndex::build(&site);
                self.workspace = Some(Workspace {
                    site,
                    settings,
                    index,
                });
            }
            Err(error) => self.log(&format!("{error:#}")),
        }
    }

    /// Brings the index up to date after files changed on disk, and lints every open post again:
    /// the site-wide rules (broken links, duplicate URLs) depend on the other posts.
    fn files_changed(&mut self, paths: &[PathBuf]) {
        let Some(workspace) = &mut self.workspace else {
            return;
        };
        let config = |path: &&PathBuf| {
            path.file_name()
                .is_some_and(|name| name == "_config.yml" || name == crate::site::CARNET_TOML)
        };
        if let Some(path) = paths.iter().find(config) {
            let root = path.parent().unwrap_or(&workspace.site.root).to_path_buf();
            self.open_workspace(&root);
        } else {
            for path in paths {
                workspace.index.refresh(&workspace.site, path);
            }
        }
        self.dirty.extend(self.documents.keys().cloned());
    }

    fn register_watchers(&mut self) -> anyhow::Result<()> {
        let extensions = crate::site::MARKDOWN_EXTENSIONS.join(",");
        let globs = [
            format!("**/*.{{{extensions}}}"),
            "**/_config.yml".to_string(),
            format!("**/{}", crate::site::CARNET_TOML),
        ];
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: globs
                .into_iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "carnet-watched-files".to_string(),
                method: notif::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: Some(serde_json::to_value(options)?),
            }],
        };
        self.next_request += 1;
        let request = Request::new(
            RequestId::from(self.next_request),
            req::RegisterCapability::METHOD.to_string(),
            params,
        );
        self.connection.sender.send(request.into())?;
        Ok(())
    }

    fn lint_dirty(&mut self) -> anyhow::Result<()> {
        for uri in std::mem::take(&mut self.dirty) {
            let findings = self.lint(&uri);
            let Some(document) = self.documents.get_mut(&uri) else {
                continue;
            };
            let map = LineMap::new(&document.text);
            let published = findings
                .iter()
                .map(|d| diagnostics::to_lsp(d, &map))
                .collect();
            let version = document.version;
            document.findings = findings;
            self.publish(uri, published, version)?;
        }
        Ok(())
    }

    /// The findings of an open post, as its text is in the editor.
    fn lint(&mut self, uri: &Url) -> Vec<Diagnostic> {
        let (Some(workspace), Some(document)) = (&mut self.workspace, self.documents.get(uri))
        else {
            return Vec::new();
        };
        let Some(file) = post_file(&workspace.site, uri) else {
            return Vec::new();
        };
        workspace.settings.now = (self.host.now)(workspace.site.config.timezone);
        let (site, settings) = (&workspace.site, &workspace.settings);
        let linter = Linter::new(site, settings, true);
        let text = &document.text;
        let read = |f: &SourceFile| Ok(Post::from_text(f.clone(), text.clone(), site));
        let result = linter.lint_with(std::slice::from_ref(&file), &read);
        result
            .diagnostics
            .into_iter()
            .filter(|d| d.path == file.path)
            .collect()
    }

    /// The open post at `uri` as its text is now, with its findings and its workspace.
    fn post(&self, uri: &Url) -> Option<(Post, &Document, &Workspace)> {
        let workspace = self.workspace.as_ref()?;
        let document = self.documents.get(uri)?;
        let file = post_file(&workspace.site, uri)?;
        let post = Post::from_text(file, document.text.clone(), &workspace.site);
        Some((post, document, workspace))
    }

    fn code_actions(&self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let (post, document, _) = self.post(&p.text_document.uri)?;
        let actions =
            diagnostics::actions(&p.text_document.uri, &post, &document.findings, p.range);
        Some(
            actions
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        )
    }

    fn hover(&self, p: HoverParams) -> Option<lsp_types::Hover> {
        let at = p.text_document_position_params;
        let (post, _, workspace) = self.post(&at.text_document.uri)?;
        let offset = LineMap::new(&post.text).offset(at.position);
        let now = workspace.settings.now;
        assist::hover(&post, &workspace.site, &workspace.index, now, offset)
    }

    fn complete(&self, p: CompletionParams) -> Option<CompletionResponse> {
        let at = p.text_document_position;
        let (post, _, workspace) = self.post(&at.text_document.uri)?;
        let offset = LineMap::new(&post.text).offset(at.position);
        let items = assist::complete(&post, &workspace.index, offset);
        Some(CompletionResponse::Array(items))
    }

    fn publish(
        &self,
        uri: Url,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> anyhow::Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let notification = Notification::new(notif::PublishDiagnostics::METHOD.to_string(), params);
        self.connection.sender.send(notification.into())?;
        Ok(())
    }

    /// Tells the client something went wrong without failing the request at hand.
    fn log(&self, message: &str) {
        let params = lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::WARNING,
            message: format!("carnet: {message}"),
        };
        let notification = Notification::new(notif::LogMessage::METHOD.to_string(), params);
        // A client gone is noticed by the receive loop.
        let _ = self.connection.sender.send(notification.into());
    }
}

/// A post or draft of the site at `uri`; other files get no diagnostics.
fn post_file(site: &Site, uri: &Url) -> Option<SourceFile> {
    let path = file_path(uri)?;
    site.relative(&path)?;
    let file = site.source_file(&path);
    matches!(file.kind, Kind::Post | Kind::Draft).then_some(file)
}

fn file_path(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok()
}

fn parse<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|e| e.to_string())
}

fn json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}
