using Dms.Documents;

namespace Dms.Previews;

/// <summary>The types the pipeline's preview step makes page images of (a PDF's pages, an image): others have none.</summary>
public static class PreviewTypes
{
    public static bool Renders(string contentType) => contentType == ContentTypes.Pdf || ContentTypes.IsImage(contentType);
}
